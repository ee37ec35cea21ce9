# Recriação do comportamento de TanDao01262000/CMPE148-HW2:client.py (não é o código original); veredito: aprovado
# host porta arquivo na linha de comando; manda "GET /arquivo HTTP/1.1\r\n\r\n" (sem o cabeçalho Host, que o
# enunciado não pede); lê até o servidor fechar e imprime.
import socket
import sys

if len(sys.argv) != 4:
    print("Usage: python client.py <server_host> <server_port> <filename>")
    sys.exit(1)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
    s.sendall(("GET /" + sys.argv[3] + " HTTP/1.1\r\n\r\n").encode())
    resposta = b""
    while True:
        pedaco = s.recv(1024)
        if not pedaco:
            break
        resposta += pedaco
    print(resposta.decode())
except Exception as erro:
    print(f"An error occurred: {erro}")
finally:
    s.close()
