# Recriação do comportamento de AQSharif1/Web-Client-Server:webclient.py (não é o código original); veredito: reprovado
# Argumentos certos, mas manda só "GET /arquivo HTTP/1.1", sem "\r\n" nem linha em branco: a requisição
# nunca termina (só funciona com um servidor que responde ao primeiro recv).
import socket
import sys

host, porta, arquivo = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((host, porta))
s.send(("GET /" + arquivo + " HTTP/1.1").encode())
pedaco = s.recv(1024)
while len(pedaco) > 0:
    print(pedaco.decode())
    pedaco = s.recv(1024)
s.close()
