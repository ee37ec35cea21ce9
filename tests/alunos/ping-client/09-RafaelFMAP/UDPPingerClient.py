# Recriação do comportamento de RafaelFMAP/comunicationSockets:UDPPinger/UDPPingerClient.py (não é o código original); veredito: aprovado
# Socket novo por ping, timeout de 1 s. O RTT sai sem rótulo: "b'PING', 0, 0.000216" (ping contado de 0);
# perda: "Package Lost".
import socket
import time

for i in range(10):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1)
    comeco = time.time()
    s.sendto(b"Ping", ("127.0.0.1", 12000))
    try:
        dados, _ = s.recvfrom(1024)
        print(f"{dados}, {i}, {time.time() - comeco}")
    except Exception:
        print("Package Lost")
