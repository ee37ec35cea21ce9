# Recriação do comportamento de TanDao01262000/CMPE148-HW2:multithreaded_server.py (não é o código original); veredito: aprovado (3b)
# Uma threading.Thread por conexão, e cada thread dorme 4 s (time.sleep) antes de ler a requisição:
# clientes simultâneos são atendidos ao mesmo tempo, todos depois de 4 s. Lento não é um por vez.
# (O original usa a porta 80.)
import socket
import threading
import time


def atender(conn):
    time.sleep(4)
    try:
        pedido = conn.recv(1024).decode()
        if not pedido:
            return
        try:
            with open(pedido.split()[1][1:]) as f:
                texto = f.read()
            conn.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
            for c in texto:
                conn.send(c.encode())
        except Exception:
            conn.send(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\nFile Not Found")
    finally:
        conn.close()


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 6789))
srv.listen(1)
while True:
    print("Ready to serve...")
    conn, _ = srv.accept()
    threading.Thread(target=atender, args=(conn,)).start()
