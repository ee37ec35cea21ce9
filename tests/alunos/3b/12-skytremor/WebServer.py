# Recriação do comportamento de skytremor/Multi-Threaded-Server-Simulation:multiThreadedserver.py (não é o código original); veredito: reprovado
# O original é Python 2. Cria UMA thread, que aceita e atende as conexões uma depois da outra: não há uma
# thread por conexão, então um cliente parado segura os outros. A resposta começa com linha vazia e diz
# "HTTP/1.x". (O original ainda fecha o socket de boas-vindas logo depois de criar a thread; aqui não, para
# que o defeito que sobra seja só o de não atender em paralelo.)
import socket
import threading

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("127.0.0.1", 6789))
srv.listen(1)


def atendente():
    while True:
        print("Ready to serve...")
        conn, _ = srv.accept()
        try:
            pedido = conn.recv(1024)
            with open(pedido.split()[1][1:].decode()) as f:
                texto = f.read()
            conn.send(b"\nHTTP/1.x 200 OK\n")
            for c in texto:
                conn.send(c.encode())
            conn.close()
        except IOError:
            conn.send(b"\n404 File Not Found\n")
            conn.close()


threading.Thread(target=atendente).start()
