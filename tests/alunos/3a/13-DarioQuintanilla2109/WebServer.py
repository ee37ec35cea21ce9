# Recriação do comportamento de DarioQuintanilla2109/Web-Server:WebServer.py (não é o código original); veredito: reprovado
# Usa o http.server da biblioteca, e o do_GET tem um erro de digitação (endswit) que levanta AttributeError
# em toda requisição .html: a conexão fecha sem resposta, nem 200 nem 404. (O original usa a porta 8080.)
from http.server import BaseHTTPRequestHandler, HTTPServer
from os import curdir, sep


class Pagina(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/":
            self.path = "/index.html"
        try:
            responder = False
            if self.path.endswith(".html"):
                tipo = "text/html"
                responder = True
            if self.path.endswit(".mp4"):
                tipo = "video/mp4"
                responder = True
            if responder:
                with open(curdir + sep + self.path) as f:
                    self.send_response(200)
                    self.send_header("Content-type", tipo)
                    self.end_headers()
                    self.wfile.write(f.read())
        except IOError:
            self.send_error(404, "File Not Found: %s" % self.path)


HTTPServer(("", 6789), Pagina).serve_forever()
