# Recriação do comportamento de mansipatel/PythonWebServer:MultiThreadedServer.py (não é o código original); veredito: aprovado (3b)
# O original é Python 2 e recebe a porta na linha de comando. Uma thread por conexão; serve de uma pasta
# fixa fora da atual (/var/www/), então na pasta do corretor tudo vira "404 Page not found", na hora.
import socket
import sys
import threading

RAIZ = "/var/www/"


def atender(conn):
    try:
        pedido = conn.recv(1024)
        if len(pedido) == 0:
            conn.close()
            return
        partes = pedido.split()
        recurso = partes[1].decode()
        if recurso.endswith("/"):
            recurso += "index.htm"
        with open(RAIZ + recurso[1:]) as f:
            conn.send(("HTTP/1.1 200 OK\r\n\r\n" + f.read()).encode())
    except IOError:
        conn.send(b"HTTP/1.1 404 Page not found\r\n\r\n")
    conn.close()


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", int(sys.argv[1])))
srv.listen(1)
while True:
    conn, _ = srv.accept()
    threading.Thread(target=atender, args=(conn,)).start()
