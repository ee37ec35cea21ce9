# Recriação do comportamento de tqanderson/assignment1_Networks:threadserver2.py (não é o código original); veredito: reprovado
# Uma thread por conexão, mas não é servidor web: cumprimenta com "Server is on:" e devolve
# "Request: " + a requisição; nunca manda o arquivo nem um 404. (O original usa 127.0.0.1:53237.)
import socket
import threading


def atender(conn):
    conn.send(b"Server is on:")
    while True:
        dados = conn.recv(1024)
        if not dados:
            break
        try:
            open(dados.split()[1][1:].decode())
            print("200 OK")
        except IOError:
            print("404 Not Found")
        conn.sendall(b"Request: " + dados)
    conn.close()


srv = socket.socket()
srv.bind(("127.0.0.1", 6789))
srv.listen(7)
while True:
    conn, _ = srv.accept()
    threading.Thread(target=atender, args=(conn,)).start()
