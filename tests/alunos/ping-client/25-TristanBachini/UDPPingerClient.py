# Recriação do comportamento de TristanBachini/udp-pinger-client-server:UDPPingerClient.py (não é o código original); veredito: aprovado
# Socket novo por ping, timeout de 1 s. "Ping number: N" numa linha, depois "RTT: x" ou
# "packet has been lost."; a resposta do servidor não é mostrada.
import socket
import time

for i in range(10):
    print(f"Ping number: {i + 1}")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    t0 = time.time()
    s.sendto(("The time is %s" % t0).encode("ascii"), ("127.0.0.1", 12000))
    s.settimeout(1.0)
    try:
        s.recvfrom(1024)
        print(f"RTT: {time.time() - t0}")
        time.sleep(0.05)
    except socket.timeout:
        print("packet has been lost.")
