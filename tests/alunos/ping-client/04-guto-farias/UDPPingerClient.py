# Recriação do comportamento de guto-farias/redesII-labz:UDPPingerClient.py (não é o código original); veredito: aprovado
# Um socket só para os 10 pings, timeout de 1 s; resposta e RTT na mesma linha, perda como "Request timed out".
import socket
import time

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.settimeout(1.0)
for n in range(1, 11):
    inicio = time.perf_counter()
    sock.sendto(("Ping %d %f" % (n, inicio)).encode(), ("127.0.0.1", 12000))
    try:
        dados, _ = sock.recvfrom(1024)
        print("Resposta: %s | RTT = %.8f s" % (dados.decode(), time.perf_counter() - inicio))
    except socket.timeout:
        print("Request timed out")
sock.close()
