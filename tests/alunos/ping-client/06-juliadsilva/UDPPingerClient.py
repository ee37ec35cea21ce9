# Recriação do comportamento de juliadsilva/SocketProgramming:Class_Exercises/UDPPingerClient.py (não é o código original); veredito: aprovado
# O original é Python 2: print("a", b) imprime uma tupla e um print sozinho, uma linha vazia. Aqui, a
# mesma saída em Python 3. Um socket só, timeout de 1 s. (O original usa a porta 12345, a do servidor
# do mesmo aluno; aqui, a do enunciado.)
import socket
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
for i in range(10):
    t0 = time.time()
    s.sendto(("PING %d %s" % (i + 1, time.strftime("%H:%M:%S"))).encode(), ("127.0.0.1", 12000))
    try:
        dados, _ = s.recvfrom(1024)
        print(("Message  Received", dados.decode()))
        print(("Round  Trip  Time", time.time() - t0))
        print()
    except socket.timeout:
        print("REQUEST  TIMED  OUT")
        print()
s.close()
