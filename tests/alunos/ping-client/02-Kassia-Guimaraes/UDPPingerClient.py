# Recriação do comportamento de Kassia-Guimaraes/udp_ping:UDPPingerClient.py (não é o código original); veredito: reprovado
# Host e porta na linha de comando; espera até 5 s por resposta (o enunciado pede até 1 s).
# Perda em vermelho (ANSI); estatísticas no fim.
import socket
import sys
import time

if len(sys.argv) != 3:
    print("Uso: python UDPPingerClient.py <ip do servidor> <porta>")
    sys.exit()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
destino = (sys.argv[1], int(sys.argv[2]))
rtts = []
perdidos = 0
for i in range(10):
    t0 = time.time()
    s.sendto(("PING %d %s" % (i + 1, time.strftime("%H:%M:%S"))).encode(), destino)
    try:
        dados, _ = s.recvfrom(1024)
        rtt = time.time() - t0
        rtts.append(rtt)
        print("Message Received", dados.decode())
        print(f"Round Trip Time, {rtt: .2f}")
    except socket.timeout:
        perdidos += 1
        print("\033[31mREQUEST TIMED OUT\033[0;0m")
if rtts:
    print(f"\nMean of RTT:{sum(rtts) / len(rtts):.2f}")
print(f"Percent of Lost PINGs: {perdidos * 10}%")
s.close()
