# Recriação do comportamento de mansipatel/PythonWebServer:SimpleServer.py (não é o código original); veredito: reprovado
# O original é Python 2. Para um arquivo que falta, abre errorPage.html, que não existe no repositório:
# a exceção escapa e o servidor morre sem mandar o 404. Uma conexão sem dados também o encerra.
import socket
import sys


def responder(conn):
    pedido = conn.recv(1024)
    if len(pedido) == 0:
        sys.exit(0)
    partes = pedido.split()
    if partes[0] == b"GET":
        try:
            resposta = "HTTP/1.1 200 OK\r\n\r\n"
            with open(partes[1][1:].decode()) as f:
                resposta += f.read()
            conn.send(resposta.encode())
        except IOError:
            resposta = "HTTP/1.1 404 Page not found\r\n\r\n"
            with open("errorPage.html") as f:
                resposta += f.read()
            conn.send(resposta.encode())
        conn.close()


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 6789))
srv.listen(1)
print("The server is listening.")
while True:
    conn, _ = srv.accept()
    responder(conn)
