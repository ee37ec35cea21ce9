# O cliente de ping do enunciado (seção 2, "Código do Cliente"), adaptado.
# Fica o que importa para as aulas: um socket novo a cada ping,
# settimeout(1), time.time(), str(mensagem). Muda: a mensagem enviada é
# outra, a linha não traz o campo "Data e Hora", e a porta (e quantos pings)
# viram argumentos, para os experimentos das aulas. Roda em qualquer sistema
# (no Windows, `python` ou `py` no lugar de `python3`):
#     python3 lessons/capturas/cliente_enunciado.py 12000
#
# É o ponto de partida do exercício em Python da aula 2: conserte-o.
import socket
import sys
import time

porta = int(sys.argv[1]) if len(sys.argv) > 1 else 12000
quantos = int(sys.argv[2]) if len(sys.argv) > 2 else 10

for pings in range(1, quantos + 1):
    client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client_socket.settimeout(1)
    mensagem = "ping do enunciado".encode()
    start = time.time()
    client_socket.sendto(mensagem, ("localhost", porta))
    try:
        mensagem, server = client_socket.recvfrom(1024)
        RTT = time.time() - start
        print("Ping: " + str(pings) + " Mensagem do servidor: " + str(mensagem) + " RTT: " + str(RTT))
    except socket.timeout:
        print("Pacote foi perdido durante a transmissão")
