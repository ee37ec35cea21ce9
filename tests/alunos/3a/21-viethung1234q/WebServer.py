# Recriação do comportamento de viethung1234q/Web-Server:sv.py (não é o código original); veredito: reprovado
# A resposta começa com uma linha vazia: "\nHTTP/1.1 200 OK\n\n" (e o mesmo no 404), então a primeira
# linha não é a linha de status.
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("localhost", 6789))
srv.listen(1)
while True:
    print("Ready to serve...")
    conn, endereco = srv.accept()
    try:
        pedido = conn.recv(1024)
        nome = pedido.split()[1]
        with open(nome[1:]) as f:
            conteudo = f.read()
        conn.send(b"\nHTTP/1.1 200 OK\n\n")
        for c in conteudo:
            conn.send(c.encode())
        conn.send(b"\r\n")
        conn.close()
    except IOError:
        conn.send(b"\nHTTP/1.1 404 Not Found\n\n")
        conn.close()
