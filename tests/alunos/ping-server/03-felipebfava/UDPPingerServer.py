# Recriação do comportamento de felipebfava/Sockets-Redes2:Pinger/Ping normal/UDPPingerServer.py (não é o código original); veredito: aprovado
# O servidor do enunciado: eco em maiúsculas e perda quando o sorteio de 0 a 10 dá menos que 4.
import random
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 12000))
while True:
    sorteio = random.randint(0, 10)
    msg, origem = s.recvfrom(1024)
    if sorteio < 4:
        continue
    s.sendto(msg.upper(), origem)
