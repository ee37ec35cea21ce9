# Recriação do comportamento de henz15/WebServer:WebServerSocket.py (não é o código original); veredito: reprovado
# Ignora o caminho pedido e manda sempre ./index.html com 200: um arquivo que não existe também
# recebe 200. Só daria 404 se index.html faltasse. (O original usa a porta 6570.)
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("0.0.0.0", 6789))
srv.listen(1)
print("Ready to serve...")
while True:
    conn, _ = srv.accept()
    try:
        print(conn.recv(1024).decode())
        with open("./index.html") as f:
            pagina = f.read()
        conn.sendall(("HTTP/1.1 200 OK\n\n" + pagina).encode())
        conn.close()
    except IOError:
        conn.sendall("HTTP/1.1 404 Not Found\n\n404 Not Found".encode())
        conn.close()
