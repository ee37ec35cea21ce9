# Recriação do comportamento de ahnafraihan/UDPPinger:UDPPingerClient.py (não é o código original); veredito: aprovado
# O original é Python 2; aqui, a mesma saída em Python 3. Um socket novo por ping (resposta atrasada não
# chega ao ping seguinte), timeout de 1 s, "Ping N has returned. RTT: Xs" ou "Ping N has timed out.".
import socket
import time

for n in range(1, 11):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.settimeout(1)
        t0 = time.time()
        sock.sendto(("Ping %d" % n).encode(), ("127.0.0.1", 12000))
        sock.recvfrom(1024)
        print("Ping %d has returned. RTT: %ss" % (n, time.time() - t0))
    except socket.timeout:
        print("Ping %d has timed out." % n)
    finally:
        sock.close()
