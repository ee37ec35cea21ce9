# Recriação do comportamento de jlucasoliveira/redes-trabalhos:WebServerTCP.py (não é o código original); veredito: reprovado
# Manda a linha de status e logo o arquivo, sem a linha em branco entre eles; o "\r\n\r\n" vai depois
# do corpo. O 404 está certo. (O original usa a porta 9999.)
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 6789))
srv.listen(5)
while True:
    print("Ready to serve...")
    conn, _ = srv.accept()
    try:
        pedido = conn.recv(1024).decode()
        caminho = pedido.split(" ")[1]
        if caminho == "/":
            caminho = "/index.html"
        with open(caminho[1:]) as f:
            conteudo = f.read()
        conn.send(b"HTTP/1.1 200 OK\r\n")
        for c in conteudo:
            conn.send(c.encode())
        conn.send(b"\r\n\r\n")
        conn.close()
    except IOError:
        conn.sendall(b"HTTP/1.1 404 Not Found\r\n\r\n")
        conn.close()
