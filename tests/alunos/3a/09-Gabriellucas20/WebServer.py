# Recriação do comportamento de Gabriellucas20/servidor-web-simples:servidor_web.py (não é o código original); veredito: aprovado
# Linha de status, Content-Type, linha em branco, o arquivo caractere a caractere e um "\r\n" a mais no
# fim; 404 com página; um recv só.
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 6789))
srv.listen(1)
while True:
    print("Ready to serve...")
    conn, _ = srv.accept()
    try:
        pedido = conn.recv(1024).decode()
        nome = pedido.split()[1]
        with open(nome[1:]) as f:
            conteudo = f.read()
        conn.send(b"HTTP/1.1 200 OK\r\n")
        conn.send(b"Content-Type: text/html\r\n\r\n")
        for c in conteudo:
            conn.send(c.encode())
        conn.send(b"\r\n")
        conn.close()
    except IOError:
        conn.send(b"HTTP/1.1 404 Not Found\r\n")
        conn.send(b"Content-Type: text/html\r\n\r\n")
        conn.send("<html><body><h1>404 Not Found</h1><p>O arquivo não foi encontrado.</p></body></html>\r\n".encode())
        conn.close()
