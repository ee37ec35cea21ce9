# O esqueleto do servidor web do livro (Kurose & Ross), completado do jeito
# mais comum: um recv(1024), open(filename[1:]), a linha de status seguida
# direto da linha em branco, um caractere por send e um "\r\n" no fim.
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
        connectionSocket.send("HTTP/1.1 404 Not Found\r\n\r\n".encode())
        connectionSocket.close()
