# Recriação do comportamento de henriquepaes1/servidor-web:Servidor.py (não é o código original); veredito: aprovado (3b)
# O host vem da linha de comando. Uma Thread (daemon) por conexão. O 200 traz "Content-Length=N" e
# "Content-Type=text/html" (com "=" em vez de ":"), linha em branco e o arquivo; o 404 é "HTTP/1.1 404 ERRO\r\n",
# sem linha em branco. (O original usa a porta 5431.)
import socket
import sys
import threading


def atender(conn):
    dados = conn.recv(1024).decode()
    if dados:
        caminho = dados.split("\r\n")[0].split(" ")[1][1:]
        try:
            with open(caminho, "r") as f:
                texto = f.read()
            conn.sendall(
                f"HTTP/1.1 200 OK\r\nContent-Length={len(texto)}\r\nContent-Type=text/html\r\n\r\n{texto}".encode()
            )
        except FileNotFoundError:
            conn.sendall(b"HTTP/1.1 404 ERRO\r\n")
        finally:
            conn.close()


host = sys.argv[1]
srv = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
srv.bind((host, 6789))
srv.listen(5)
while True:
    conn, _ = srv.accept()
    t = threading.Thread(target=atender, args=(conn,))
    t.daemon = True
    t.start()
