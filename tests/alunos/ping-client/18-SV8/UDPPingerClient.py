# Recriação do comportamento de SV8/CNATDA7e:Python/code/UDPPingerClient.py (não é o código original); veredito: aprovado
# O original manda para um IP público fixo; aqui, 127.0.0.1 (o que o monitor faria). Um socket só, timeout
# de 1 s; pings numerados de 0 a 9 e RTT sem rótulo, em ms: "Ping 0 0.123 ms"; perda "Ping N Request timed out.".
import datetime
import socket

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
for n in range(10):
    try:
        t0 = datetime.datetime.now()
        s.sendto(b"I ping you!", ("127.0.0.1", 12000))
        s.recvfrom(1024)
        passou = datetime.datetime.now() - t0
        print("Ping", n, passou.microseconds / 1000, "ms")
    except Exception:
        print("Ping", n, "Request timed out.")
s.close()
