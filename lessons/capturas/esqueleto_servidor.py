# O esqueleto do servidor web do livro (Kurose & Ross), completado do jeito
# mais comum, com os erros mais comuns: um recv(1024), open(filename[1:]), a
# linha de status seguida direto da linha em branco, um caractere por send,
# um "\r\n" no fim e, no arquivo que não existe, o socket fechado sem
# resposta nenhuma (sem o 404). Não é uma solução: o corretor o reprova.
# A aula 03 mostra o relatório do corretor para ele (tests/it/lessons_s3.rs
# confere). A porta vem do primeiro argumento, se houver.
import sys
from socket import *

serverSocket = socket(AF_INET, SOCK_STREAM)
serverPort = int(sys.argv[1]) if len(sys.argv) > 1 else 6789
serverSocket.bind(('', serverPort))
serverSocket.listen(1)

while True:
    connectionSocket, addr = serverSocket.accept()
    try:
        message = connectionSocket.recv(1024).decode()
        filename = message.split()[1]
        f = open(filename[1:])
        outputdata = f.read()
        connectionSocket.send("HTTP/1.1 200 OK\r\n\r\n".encode())
        for i in range(0, len(outputdata)):
            connectionSocket.send(outputdata[i].encode())
        connectionSocket.send("\r\n".encode())
        connectionSocket.close()
    except IOError:
        connectionSocket.close()
