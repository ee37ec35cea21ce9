# Recriação do comportamento de hyunsuh/UDPPinger:UDPPingerClient.py (não é o código original); veredito: aprovado
# O original é Python 2 e usa a porta 11046, a do servidor do mesmo aluno; aqui, Python 3 e a porta do
# enunciado. Um socket só, timeout de 1 s. Resposta numa linha e "Round Trip Time is:X seconds" (sem espaço
# depois dos dois-pontos) na seguinte; na perda, repete a própria mensagem e depois "Request timed out".
import socket
import time

print("Running")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
rtts = []
for n in range(1, 11):
    t0 = time.time()
    mensagem = "PING %d %d" % (n, t0)
    s.sendto(mensagem.encode(), ("127.0.0.1", 12000))
    try:
        resposta, _ = s.recvfrom(1024)
        passou = time.time() - t0
        rtts.append(passou)
        print(resposta.decode())
        print("Round Trip Time is:" + str(passou) + " seconds")
    except socket.timeout:
        print(mensagem)
        print("Request timed out")
if rtts:
    print("")
    print("Average RTT is:" + str(sum(rtts) / len(rtts)) + " seconds")
    print("Packet loss rate is:" + str((10 - len(rtts)) * 10) + " percent")
s.close()
