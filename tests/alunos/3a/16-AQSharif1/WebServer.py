# Recriação do comportamento de AQSharif1/Web-Client-Server:webserver.py (não é o código original); veredito: reprovado
# O cabeçalho do 200 é "HTTP/1.1 200 ok\r\n Content-Type: text/html\r\n\"": não há linha em branco, e o
# arquivo vem colado numa aspa. O 404 está certo. (O original usa a porta 56022.)
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 6789))
srv.listen()
while True:
    print("The server is ready to receive")
    conn, _ = srv.accept()
    try:
        pedido = conn.recv(1024)
        with open(pedido.split()[1][1:]) as f:
            texto = f.read()
        conn.send('HTTP/1.1 200 ok\r\n Content-Type: text/html\r\n"'.encode())
        for c in texto:
            conn.send(c.encode())
        conn.send(b"\r\n")
        conn.close()
    except IOError:
        conn.send(b"HTTP/1.1 404 FileNotFound\r\n\r\n")
        conn.send(b"<html><head></head><body><h1>404 File Not Found</h1></body></html>\r\n")
        conn.close()
