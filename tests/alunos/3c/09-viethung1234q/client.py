# Recriação do comportamento de viethung1234q/Web-Server:cl.py (não é o código original); veredito: reprovado
# Monta o cabeçalho a partir de um dicionário e a linha de requisição sai como
# "first_header:GET /arquivo HTTP/1.1"; as linhas não terminam com a linha em branco.
import socket
import sys

host, porta, arquivo = sys.argv[1], sys.argv[2], sys.argv[3]
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.connect((host, int(porta)))
campos = {
    "first_header": "GET /%s HTTP/1.1" % arquivo,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-us",
    "Host": "%s:%s" % (host, porta),
}
cabecalho = "\r\n".join("%s:%s" % (k, v) for k, v in campos.items())
print(cabecalho)
s.send(cabecalho.encode())
mensagem = ""
pedaco = s.recv(1024)
while pedaco:
    mensagem += pedaco.decode("utf8")
    pedaco = s.recv(1024)
s.close()
print("\nmessage:", mensagem)
