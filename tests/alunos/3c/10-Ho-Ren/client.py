# Recriação do comportamento de Ho-Ren/pythonwebserver:Client.py (não é o código original); veredito: reprovado
# Lê host, porta e arquivo, mas ignora o host: conecta sempre em "localhost". Manda "GET /arquivo
# HTTP/1.1\r\n\r\n" (sem Host) e imprime os bytes crus (b'...').
import socket
import sys

host, porta, arquivo = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.connect(("localhost", int(porta)))
    s.send(bytes("GET /" + arquivo + " HTTP/1.1\r\n\r\n", "UTF-8"))
    resposta = s.recv(1024)
    print(type(resposta))
    print(resposta)
    junto = ""
    while resposta:
        resposta = s.recv(1024)
        junto += str(resposta)
    print(junto)
    s.close()
except IOError:
    print("ERROR")
