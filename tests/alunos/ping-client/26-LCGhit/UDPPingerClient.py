# Recriação do comportamento de LCGhit/UDP_Pinger:UDPPingerClient.py (não é o código original); veredito: aprovado
# Host e porta na linha de comando; um socket só, timeout de 1 s. A cada resposta imprime o mínimo, o
# máximo e a média até ali e, por último, "Round Trip Time x"; perda: "REQUEST TIMED OUT".
import socket
import sys
import time

if len(sys.argv) != 3:
    print("Usage: python UDPPingerClient <server ip address> <server port no>")
    sys.exit()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
destino = (sys.argv[1], int(sys.argv[2]))
rtts = []
for i in range(10):
    t0 = time.time()
    s.sendto(("PING %d %s" % (i + 1, time.strftime("%H:%M:%S"))).encode("utf-8"), destino)
    try:
        dados, _ = s.recvfrom(1024)
        rtt = time.time() - t0
        rtts.append(rtt)
        print("Message Received", dados.decode("utf-8"))
        print("Min Round Trip Time", min(rtts))
        print("Max Round Trip Time", max(rtts))
        print("Mean Round Trip Time", sum(rtts) / len(rtts))
        print("Round Trip Time", rtt)
    except socket.timeout:
        print("REQUEST TIMED OUT")
