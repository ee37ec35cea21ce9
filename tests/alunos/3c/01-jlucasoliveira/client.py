# Recriação do comportamento de jlucasoliveira/redes-trabalhos:WebClientTCP.py (não é o código original); veredito: aprovado
# Argumentos certos, GET HTTP/1.1 com Host e User-Agent. Imprime o primeiro recv (cabeçalho e começo do
# corpo) e depois o resto: o print() entre os dois põe uma quebra de linha no meio do arquivo.
import socket
import sys

try:
    host, porta, arquivo = sys.argv[1], int(sys.argv[2]), sys.argv[3]
except Exception:
    print("[+] ENTRADA MAL FORMATADA!!!")
    sys.exit(1)
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((host, porta))
meu_host, minha_porta = s.getsockname()
s.send(("GET /%s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: Client_Python/0.2\r\n\r\n" % (arquivo, meu_host, minha_porta)).encode())
print(s.recv(1024).decode())
resto = ""
while True:
    pedaco = s.recv(1024).decode()
    if not pedaco:
        break
    resto += pedaco
print(resto)
s.close()
