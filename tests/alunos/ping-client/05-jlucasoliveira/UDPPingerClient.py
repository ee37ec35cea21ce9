# Recriação do comportamento de jlucasoliveira/redes-trabalhos:UDPPingerClient.py (não é o código original); veredito: aprovado
# Um socket só, timeout de 1 s. Resposta numa linha (precedida de linha vazia) e "RTT: x" na seguinte;
# perda em palavras próprias: "Solicitacao N expirada.".
import socket
import time

cliente = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
cliente.settimeout(1)
for n in range(1, 11):
    try:
        t0 = time.time()
        cliente.sendto(("Ping %d %s." % (n, time.ctime())).encode(), ("localhost", 12000))
        resposta, _ = cliente.recvfrom(1024)
        t1 = time.time()
        print("\n" + resposta.decode())
        print("RTT: %.7f" % (t1 - t0))
    except socket.timeout:
        print("Solicitacao %d expirada." % n)
cliente.close()
