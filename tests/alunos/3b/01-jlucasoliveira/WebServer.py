# Recriação do comportamento de jlucasoliveira/redes-trabalhos:WebServerTCPMT.py (não é o código original); veredito: aprovado (3b)
# Uma thread por conexão (a 3b pede isso). O formato herdado da 3a do mesmo aluno: status e logo o
# arquivo, sem linha em branco, e "\r\n\r\n" depois do corpo. (O original usa a porta 9999.)
import socket
import threading


def atender(conn):
    while True:
        try:
            pedido = conn.recv(1024).decode()
            if not pedido:
                break
            caminho = pedido.split(" ")[1]
            if caminho == "/":
                caminho = "/index.html"
            with open(caminho[1:]) as f:
                conteudo = f.read()
            conn.send(b"HTTP/1.1 200 OK\r\n")
            for c in conteudo:
                conn.send(c.encode())
            conn.send(b"\r\n\r\n")
            break
        except Exception as erro:
            print(erro)
            conn.send(b"HTTP/1.1 404 Not Found\r\n\r\n")
            conn.close()
    conn.close()


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 6789))
srv.listen(5)
while True:
    conn, _ = srv.accept()
    threading.Thread(target=atender, args=(conn,)).start()
