# Recriação do comportamento de tqanderson/assignment1_Networks:server.py (não é o código original); veredito: reprovado
# 200 com linhas de cabeçalho (uma delas, "Content Type", malformada; Content-Length do texto, não dos
# bytes), linha em branco, arquivo e um "\r\n" a mais. O 404 é só "HTTP/1.1 404 Not Found", sem nem o fim de
# linha: o curl diz "Empty reply from server".
# (O original usa a porta 53235.)
import datetime
import socket

srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(("", 6789))
srv.listen(5)
while True:
    print("Ready to serve...")
    conn, _ = srv.accept()
    try:
        pedido = conn.recv(1024)
        with open(pedido.split()[1][1:]) as f:
            texto = f.read()
        campos = {
            "Date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
            "Content-Length": len(texto),
            "Connection": "Keep Alive",
            "Content Type": "text/html",
        }
        cabecalho = "\r\n".join("%s:%s" % (k, v) for k, v in campos.items())
        conn.send(("HTTP/1.1 200 OK\r\n%s\r\n\r\n" % cabecalho).encode())
        for c in texto:
            conn.send(c.encode())
        conn.send(b"\r\n")
        conn.close()
    except IOError:
        conn.send(b"HTTP/1.1 404 Not Found")
        conn.close()
