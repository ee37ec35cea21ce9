# Recriação do comportamento de dursuneryilmaz/UDP-Pinger:UDPPingerClient.py (não é o código original); veredito: reprovado
# Host e porta na linha de comando; timeout de 1 s, RTT em ms; mas manda 100 pings (o enunciado pede 10).
import socket
import sys
from time import ctime, time

host, porta = sys.argv[1:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
for i in range(100):
    t0 = time()
    try:
        s.sendto(("Ping %d %s" % (i + 1, ctime(t0)[11:19])).encode(), (host, int(porta)))
        resposta, _ = s.recvfrom(1024)
        print(resposta.decode())
        print("RTT: %f ms\n" % ((time() - t0) * 1000))
    except Exception:
        print("Request timed out\n")
s.close()
