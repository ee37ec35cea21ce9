# Recriação do comportamento de aman566/topDownApproachLabs:UDPPingerClient.py (não é o código original); veredito: aprovado
# O original manda para um IP fixo de outra máquina; aqui, 127.0.0.1 (o que o monitor faria).
# O número do ping sai sozinho numa linha; a resposta e "round trip time is X seconds" (ou
# "Request timeout") nas linhas seguintes. Um socket só, timeout de 1 s.
import socket
import time

print("Running")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
for n in range(1, 11):
    t0 = time.time()
    s.sendto(b"ping", ("127.0.0.1", 12000))
    try:
        dados, _ = s.recvfrom(1024)
        passou = time.time() - t0
        print(n)
        print(dados.decode("utf-8"))
        print(f"round trip time is {round(passou, 6)} seconds")
    except socket.timeout:
        print(n)
        print("Request timeout")
s.close()
