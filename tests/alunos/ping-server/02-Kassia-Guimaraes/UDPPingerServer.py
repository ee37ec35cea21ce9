# Recriação do comportamento de Kassia-Guimaraes/udp_ping:UDPPingerServer.py (não é o código original); veredito: aprovado
# Porta na linha de comando. Eco em maiúsculas, perda quando o sorteio de 0 a 10 dá menos que 3, e um
# atraso de 1 a 4 s (time.sleep, que bloqueia o laço) quando o sorteio fica entre 4 e 6: lento não é perdido.
import random
import socket
import sys
import time

if len(sys.argv) != 2:
    print("Uso: python UDPPingerServer.py <porta>")
    sys.exit()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("", int(sys.argv[1])))
while True:
    sorteio = random.randint(0, 10)
    msg, origem = s.recvfrom(1024)
    texto = msg.decode("utf-8").upper()
    if sorteio < 3:
        print(f"\033[31mThe Message {texto} is lost, for {origem}\033[0;0m")
        continue
    if 4 <= sorteio <= 6:
        atraso = random.uniform(1, 4)
        print(f"\033[36mIntroducing a delay of {atraso:.2f} seconds for the {texto}\033[0;0m")
        time.sleep(atraso)
    s.sendto(texto.encode("utf-8"), origem)
    print(f"Message sent {texto}, for {origem}")
