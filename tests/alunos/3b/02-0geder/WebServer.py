# Recriação do comportamento de 0geder/RDT-and-Socket-Protocols:WebServer_Threaded.py (não é o código original); veredito: aprovado
# Uma threading.Thread por conexão; cada uma lê a requisição com um recv só, responde com status,
# Content-Type, linha em branco e o arquivo (ou 404) e fecha.
import socket
import threading


def atender(conn):
    try:
        pedido = conn.recv(1024).decode()
        if not pedido:
            return
        with open(pedido.split()[1][1:]) as f:
            conteudo = f.read()
        conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        conn.send(conteudo.encode())
    except IOError:
        conn.send(b"HTTP/1.1 404 Not Found\r\n\r\n")
        conn.send(b"<html><head></head><body><h1>404 Not Found</h1></body></html>")
    finally:
        conn.close()


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 6789))
srv.listen(5)
while True:
    conn, _ = srv.accept()
    threading.Thread(target=atender, args=(conn,)).start()
