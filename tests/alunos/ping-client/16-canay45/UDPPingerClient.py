# Recriação do comportamento de canay45/UDP_Pinger:UDPPingerClient.py (não é o código original); veredito: aprovado
# Um socket só, timeout de 1 s. O RTT sai como timedelta do datetime: "RTT: 0:00:00.000215".
import socket
from datetime import datetime

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
for e in range(10):
    enviado = datetime.now()
    try:
        s.sendto(("Ping %d %s" % (e + 1, enviado)).encode(), ("localhost", 12000))
        resposta, _ = s.recvfrom(1024)
        print(f"{resposta.decode()}, RTT: {datetime.now() - enviado}")
    except Exception:
        print("Request timed out")
s.close()
