# Recriação do comportamento de Ho-Ren/pythonwebserver:MultithreadedServer.py (não é o código original); veredito: reprovado
# Cria uma thread por conexão, mas a thread usa a variável GLOBAL da conexão (não a que recebeu): com
# clientes ao mesmo tempo, uma thread atende a conexão de outra e algum cliente fica sem resposta.
# Depois de fechar, a thread segue no laço. (O original usa localhost:80.)
import socket
import threading


class Atendente(threading.Thread):
    def __init__(self, conexao):
        threading.Thread.__init__(self)
        self.conexao = conexao

    def run(self):
        while True:
            try:
                pedido = conexao.recv(1024)
                if len(pedido) < 1:
                    continue
                with open(pedido.split()[1][1:], "rb") as f:
                    dados = f.read()
                conexao.send(b"HTTP/1.1 200 OK\r\n\r\n")
                for i in range(len(dados)):
                    conexao.send(dados[i : i + 1])
                conexao.send(b"\r\n\r\n")
                conexao.close()
            except IOError:
                conexao.send(b"HTTP/1.1 404 Not Found\r\n\r\n")
                conexao.close()


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("localhost", 6789))
srv.listen(5)
while True:
    conexao, _ = srv.accept()
    Atendente(conexao).start()
