# Recriação do comportamento de MWest2020/UDPPinger:UDP/UDPPingerClient.py (não é o código original); veredito: reprovado
# Espera só 0,5 s por resposta: uma resposta que chega entre 0,5 s e 1 s é dada como perdida
# (o enunciado pede esperar até um segundo).
import socket
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
for n in range(10):
    t0 = time.time()
    s.sendto(("Ping sequence %d" % (n + 1)).encode(), ("127.0.0.1", 12000))
    try:
        dados, _ = s.recvfrom(2048)
        print("Message received", dados)
        print("RTT", time.time() - t0)
        print()
    except socket.timeout:
        print("Request timed out")
        print()
s.close()
