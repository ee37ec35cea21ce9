# O cliente_enunciado.py com UMA mudança: o socket é criado uma vez só, antes
# do laço, como um programador costuma escrever. Sem conferir o número do
# ping, ele toma uma resposta atrasada pela do ping seguinte. A aula 2
# ("Conferir o seu trabalho") mostra o corretor pegando isso:
#     cargo grade ping-client -- python3 lessons/capturas/cliente_um_socket.py
# (no Windows, `python` ou `py` no lugar de `python3`).
import socket
import sys
import time

porta = int(sys.argv[1]) if len(sys.argv) > 1 else 12000
quantos = int(sys.argv[2]) if len(sys.argv) > 2 else 10

client_socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
client_socket.settimeout(1)
for pings in range(1, quantos + 1):
    mensagem = "ping do enunciado".encode()
    start = time.time()
    client_socket.sendto(mensagem, ("localhost", porta))
    try:
        mensagem, server = client_socket.recvfrom(1024)
        RTT = time.time() - start
        print("Ping: " + str(pings) + " Mensagem do servidor: " + str(mensagem) + " RTT: " + str(RTT))
    except socket.timeout:
        print("Pacote foi perdido durante a transmissão")
