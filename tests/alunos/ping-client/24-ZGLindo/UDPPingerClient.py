# Recriação do comportamento de ZGLindo/UDPPinger:UDPPingerClient.py (não é o código original); veredito: reprovado
# Mede o tempo com time.clock(), que saiu do Python na versão 3.8: o cliente morre com AttributeError
# antes de mandar o primeiro ping.
import socket
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
for n in range(1, 11):
    quando = time.asctime(time.localtime())
    t0 = time.clock()
    s.sendto(b"Ping", ("127.0.0.1", 12000))
    try:
        resposta, _ = s.recvfrom(1024)
        print("%s %s %s" % (resposta, n, quando))
        print("Round Trip Time = " + str(time.clock() - t0) + " seconds\n")
    except socket.timeout:
        print("Request timed out...Try again!\n\n\n")
