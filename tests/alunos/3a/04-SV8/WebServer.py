# Recriação do comportamento de SV8/CNATDA7e:Python/code/SocketWebServer.py (não é o código original); veredito: aprovado
# O esqueleto do livro: "HTTP/1.1 200 OK\r\n\r\n" sem outras linhas de cabeçalho, o arquivo linha a linha,
# um recv só; 404 com página. (O original usa a porta 12000.)
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 6789))
srv.listen(1)
while True:
    print("Ready to serve...")
    conn, _ = srv.accept()
    try:
        pedido = conn.recv(2048).decode()
        nome = pedido.split()[1]
        with open(nome[1:]) as f:
            linhas = f.readlines()
        conn.send(b"HTTP/1.1 200 OK\r\n\r\n")
        for linha in linhas:
            conn.send(linha.encode())
        conn.close()
    except IOError:
        conn.send(b"HTTP/1.1 404 Not Found\r\n\r\n")
        conn.send(b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>\n")
        conn.close()
