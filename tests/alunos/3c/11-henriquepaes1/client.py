# Recriação do comportamento de henriquepaes1/servidor-web:Cliente.py (não é o código original); veredito: aprovado
# Argumentos certos, GET com Host. Imprime um recv(6000) só (um arquivo maior sai cortado) e dorme 5 s
# antes de fechar o socket e sair.
import socket
import sys
import time

if len(sys.argv) < 3:
    print("usage: simplex-talk host")
    sys.exit(1)
host, porta = sys.argv[1], sys.argv[2]
arquivo = sys.argv[3] if len(sys.argv) == 4 else ""
endereco = socket.getaddrinfo(host, porta)[0][4][0]
familia = socket.AF_INET6 if ":" in endereco else socket.AF_INET
s = socket.socket(familia, socket.SOCK_STREAM)
s.connect((endereco, int(porta)))
s.sendall("GET /{0} HTTP/1.1\r\nHost: {1}\r\n\r\n".format(arquivo, host).encode())
print(s.recv(6000).decode())
time.sleep(5)
s.close()
