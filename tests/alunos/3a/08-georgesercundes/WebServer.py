# Recriação do comportamento de georgesercundes/ProjetoRedes1:servidor_web.py (não é o código original); veredito: reprovado
# Não escreve o servidor: entrega tudo ao http.server da biblioteca (SimpleHTTPRequestHandler), que monta
# as respostas sozinho. Por fora parece um servidor correto. (O original usa a porta 8000.)
import http.server
import socketserver

with socketserver.TCPServer(("127.0.0.1", 6789), http.server.SimpleHTTPRequestHandler) as httpd:
    httpd.serve_forever()
