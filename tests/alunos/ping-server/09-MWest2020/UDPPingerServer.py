# Recriação do comportamento de MWest2020/UDPPinger:UDP/UDPPingerServer.py (não é o código original); veredito: reprovado
# Simula a perda, mas devolve a mensagem como chegou: não há eco em maiúsculas.
import random
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", 12000))
while True:
    print("UDP pinger server listening")
    sorteio = random.randint(0, 10)
    msg, origem = s.recvfrom(1024)
    if sorteio < 4:
        continue
    s.sendto(msg, origem)
