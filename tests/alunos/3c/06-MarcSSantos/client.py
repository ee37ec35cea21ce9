# Recriação do comportamento de MarcSSantos/Projeto-2-Servidor-Web-TCP:client_tcp.py (não é o código original); veredito: reprovado
# Não usa argumentos de linha de comando: conecta sempre em localhost:8080 e pede ao usuário, com input(),
# a requisição inteira.
import socket
import threading


def mostrar(s):
    print("Resposta do servidor: \n" + s.recv(1024).decode())


s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
print("Aguardando conexão...")
s.connect(("localhost", 8080))
print("Conexão realizada.")
threading.Thread(target=mostrar, args=(s,)).start()
s.send(input("Peça o arquivo: ").encode())
