# Recriação do comportamento de gaukje/DATA2410oblig1:client.py (não é o código original); veredito: aprovado
# host porta arquivo na linha de comando; GET com Host; lê até o servidor fechar e imprime tudo.
import socket
import sys

if len(sys.argv) != 4:
    print("Uso: python client.py <host> <porta> <arquivo>")
    sys.exit()
host, porta, arquivo = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((host, porta))
s.send(("GET /" + arquivo + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").encode())
resposta = b""
while True:
    pedaco = s.recv(2048)
    if not pedaco:
        break
    resposta += pedaco
print(resposta.decode())
s.close()
