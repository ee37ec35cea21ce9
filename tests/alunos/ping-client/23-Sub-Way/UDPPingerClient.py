# Recriação do comportamento de Sub-Way/UDPPinger:UDPPingerClient.py (não é o código original); veredito: aprovado
# Socket novo por ping (num with), timeout de 1 s. A resposta, o número e o RTT com "s" colado, sem rótulo:
# "PING 1 0.000123s"; perda: "Ping N Request timed out"; estatísticas no fim.
import socket
import time

rtts = []
perdas = 0
for i in range(10):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(1)
        t0 = time.time()
        s.sendto(b"Ping", ("127.0.0.1", 12000))
        try:
            resposta, _ = s.recvfrom(1024)
            rtt = time.time() - t0
            rtts.append(rtt)
            print(resposta.decode() + " " + str(i + 1) + " " + str(rtt) + "s")
        except socket.timeout:
            perdas += 1
            print("Ping " + str(i + 1) + " Request timed out")
if rtts:
    print("MIN RTT : %s MAX RTT : %s AVG RTT : %s" % (min(rtts), max(rtts), sum(rtts) / len(rtts)))
print("Packet loss rate : " + str(perdas * 10.0) + "%")
