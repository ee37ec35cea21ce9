# Recriação do comportamento de mateus-caetano/client-server-udp-pinger:UDPPingerClient.py (não é o código original); veredito: reprovado
# O original é Python 2. Manda 10 pings com timeout de 1 s, mas só imprime a resposta do servidor:
# o RTT nunca aparece. Perda: "Solicitacao expirada".
import socket
from datetime import datetime

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
i = 1
while i <= 10:
    try:
        s.settimeout(1)
        s.sendto(("ping %d %s" % (i, datetime.now().strftime("%H:%M"))).encode(), ("localhost", 12000))
        i += 1
        resposta, _ = s.recvfrom(1024)
    except socket.timeout:
        print("Solicitacao expirada")
    else:
        print(resposta.decode())
s.close()
