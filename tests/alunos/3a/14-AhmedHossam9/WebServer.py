# Recriação do comportamento de AhmedHossam9/WebServer-TCP:WebServer.py (não é o código original); veredito: aprovado
# Cabeçalho com "\n" em vez de "\r\n"; o arquivo que falta recebe "HTTP/1.1 404 OK" (código 404 certo, frase
# errada) sem corpo; except sem tipo. (O original usa 127.0.0.1:5050.)
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 6789))
srv.listen()
print("Ready To Serve ...")
while True:
    conn, _ = srv.accept()
    try:
        pedido = conn.recv(32768)
        nome = pedido.split()[1]
        with open(nome[1:]) as f:
            linhas = f.readlines()
        conn.send(b"HTTP/1.1 200 OK\nContent-Type: text/html\n\n")
        for linha in linhas:
            conn.send(linha.encode())
        conn.close()
    except Exception:
        conn.send(b"HTTP/1.1 404 OK\nContent-Type: text/html\n\n")
        conn.close()
