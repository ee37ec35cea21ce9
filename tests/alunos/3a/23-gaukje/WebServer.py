# Recriação do comportamento de gaukje/DATA2410oblig1:server.py (não é o código original); veredito: aprovado
# Cabeçalho completo com Content-Length, corpo byte a byte; no 200 não fecha a conexão (ela só fecha
# quando a variável é reaproveitada no próximo accept); 404 com página.
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 6789))
srv.listen(1)
while True:
    print("Ready to serve...")
    conn, _ = srv.accept()
    try:
        pedido = conn.recv(2048).decode()
        nome = pedido.split()[1][1:]
        with open(nome, "rb") as f:
            dados = f.read()
        conn.send(b"HTTP/1.1 200 OK\r\n")
        conn.send(b"Content-Type: text/html\r\n")
        conn.send(b"Content-Length: %d\r\n" % len(dados))
        conn.send(b"\r\n")
        for i in range(len(dados)):
            conn.send(dados[i : i + 1])
    except IOError:
        conn.send(b"HTTP/1.1 404 Not Found\r\n")
        conn.send(b"Content-Type: text/html\r\n")
        conn.send(b"\r\n")
        conn.send(b"<html><body><h1>404 Not Found</h1></body></html>\r\n")
        conn.close()
