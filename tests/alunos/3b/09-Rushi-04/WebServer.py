# Recriação do comportamento de Rushi-04/Web-Server:multithreaded_server.py (não é o código original); veredito: aprovado (3b)
# Uma Thread (daemon) por conexão, accept com timeout de 1 s num laço. Só dois caminhos são servidos:
# "/" (index.html) e "/book" (book.json); qualquer outro vira NotFound.html, que não existe: 404 na hora.
# (O original usa a porta 8080.)
import mimetypes
import socket
import threading
from pathlib import Path


def atender(conn):
    try:
        pedido = conn.recv(1500).decode(errors="ignore")
        if not pedido.strip():
            return
        partes = pedido.splitlines()[0].split()
        if len(partes) < 2:
            return
        metodo, caminho = partes[0], partes[1]
        if metodo != "GET":
            conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nAllow: GET\r\n\r\n")
            return
        nome = {"/": "index.html", "/book": "book.json"}.get(caminho, "NotFound.html")
        arquivo = Path(nome)
        if arquivo.exists():
            tipo = mimetypes.guess_type(nome)[0] or "text/plain"
            conn.sendall(f"HTTP/1.1 200 OK\r\nContent-Type: {tipo}\r\n\r\n".encode() + arquivo.read_bytes())
        else:
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<h1>File Not Found</h1>")
    finally:
        conn.close()


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", 6789))
srv.listen(5)
srv.settimeout(1)
while True:
    try:
        conn, _ = srv.accept()
    except socket.timeout:
        continue
    conn.settimeout(None)
    t = threading.Thread(target=atender, args=(conn,))
    t.daemon = True
    t.start()
