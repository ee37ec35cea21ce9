# Recriação do comportamento de Guilherme-D-M/WebServer:WebServer.py (não é o código original); veredito: reprovado
# Responde certo à primeira requisição e depois fecha o socket de boas-vindas e sai (sys.exit(1) dentro
# do while): o servidor termina depois da primeira requisição. (O original usa 127.0.0.1:9090.)
import socket
import sys

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 6789))
srv.listen(1)
while True:
    print("Tudo pronto...")
    conn, _ = srv.accept()
    try:
        pedido = conn.recv(1024)
        nome = pedido.split()[1]
        with open(nome[1:]) as f:
            conteudo = f.read()
        conn.sendall(b"HTTP/1.1 200 OK\r\n\r\n")
        for c in conteudo:
            conn.sendall(c.encode("utf-8"))
        conn.send(b"\r\n")
        conn.close()
    except IOError:
        conn.send(b"HTTP/1.1 404 Not Found\r\n\r\n")
        conn.send(b"<html><head></head><body><h1>404 Not Found</h1></body></html>\r\n")
        conn.close()
    srv.close()
    sys.exit(1)
