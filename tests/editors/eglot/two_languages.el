;;; two_languages.el --- one Eglot server for a Python and a YAML file, opened in both orders  -*- lexical-binding: t; -*-

;; emacs --batch -q -l tests/editors/eglot/two_languages.el
;;
;; Eglot (1.9 on Emacs 28, and later) sends the languageId of the buffer that started a server for
;; every buffer that server manages.  With the README's one server for python-mode and yaml-mode,
;; the second file of a project arrives under the first one's id.  For each order (app.py first,
;; openapi.yaml first) this opens both files of a fresh project against ONE server and checks that
;; each gets its own diagnostics through Flymake: 420 in Python, 305 in the OpenAPI YAML.
;; Results go as JSON to $HTTP_STATUS_LS_EGLOT_RESULTS; exit status 0 when all checks pass.
;; $HTTP_STATUS_LS_COMMAND is the server program (default: http-status-ls on PATH).

(require 'eglot)
(require 'flymake)
(require 'json)
(require 'cl-lib)

(defvar two-wait-seconds 20)
(defvar two-results nil)

;; Emacs 28 has no YAML mode of its own (yaml-mode is a separate package, yaml-ts-mode needs a
;; grammar).  Eglot only needs the mode's name: a bare one will do where none is installed.
(unless (fboundp 'yaml-mode)
  (define-derived-mode yaml-mode text-mode "YAML"))

(defun two-record (name ok detail)
  (push (cons name `((ok . ,(if ok t :json-false)) (detail . ,detail))) two-results))

(defun two-finish (code)
  (let ((path (getenv "HTTP_STATUS_LS_EGLOT_RESULTS")))
    (when (and path (not (string-empty-p path)))
      (with-temp-file path
        (insert (json-encode `((emacs . ,emacs-version) (checks . ,two-results)))))))
  (let ((failed (cl-remove-if (lambda (c) (eq (alist-get 'ok (cdr c)) t)) two-results)))
    (message "http-status-ls Eglot two-languages check %s%s"
             (if (or failed (/= code 0)) "FAILED" "passed")
             (mapconcat (lambda (c) (format "; %s: %S" (car c) (alist-get 'detail (cdr c)))) failed "")))
  (dolist (server (hash-table-values eglot--servers-by-project))
    (dolist (one server) (ignore-errors (eglot-shutdown one))))
  (kill-emacs code))

(defun two-wait (predicate)
  "Poll PREDICATE while reading server output; its value, or nil after `two-wait-seconds'."
  (let ((deadline (+ (float-time) two-wait-seconds)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      ;; Batch Emacs runs no idle timers: start each buffer's Flymake check by hand.
      (dolist (buffer (buffer-list))
        (with-current-buffer buffer
          (when (bound-and-true-p flymake-mode) (flymake-start)))))
    value))

(defun two-diagnostic (buffer code)
  "The Flymake diagnostic of BUFFER over the number CODE (a string; a YAML key's quotes may be
part of the range), or nil."
  (with-current-buffer buffer
    (cl-find-if (lambda (d)
                  (string-match-p (regexp-quote code)
                                  (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d))))
                (flymake-diagnostics))))

(defun two-open (file mode)
  (find-file file)
  (funcall mode)
  (current-buffer))

(defun two-run (order command)
  "Open app.py and openapi.yaml of a new project in ORDER (a list of 'python and 'yaml)."
  (let* ((root (file-name-as-directory (make-temp-file (format "eglot-%s-first" (car order)) t)))
         (files `((python "app.py" python-mode "420"
                          "from flask import abort\n\n\ndef calm():\n    abort(420)\n")
                  (yaml "openapi.yaml" yaml-mode "305"
                        ,(concat "openapi: 3.0.3\ninfo: {title: pets, version: '1'}\npaths:\n"
                                 "  /pets:\n    get:\n      responses:\n        '305':\n"
                                 "          description: use the proxy\n"))))
         (prefix (format "%s_first" (car order)))
         buffers server)
    (with-temp-file (expand-file-name "pyproject.toml" root) (insert "[project]\nname = \"pets\"\n"))
    (dolist (file files)
      (with-temp-file (expand-file-name (nth 1 file) root) (insert (nth 4 file))))
    (dolist (language order)
      (let* ((file (assq language files))
             (buffer (two-open (expand-file-name (nth 1 file) root) (nth 2 file))))
        (push (cons language buffer) buffers)
        ;; The first file starts the server; Eglot's mode hook has the second one join it.
        (unless server
          (with-current-buffer buffer
            (apply #'eglot--connect (eglot--guess-contact))
            (setq server (two-wait (lambda () (eglot-current-server))))))))
    (unless server
      (two-record (concat prefix "_connect") nil "no Eglot server")
      (two-finish 2))
    (let ((one-server (cl-every (lambda (entry) (eq (with-current-buffer (cdr entry) (eglot-current-server)) server))
                                buffers)))
      (two-record (concat prefix "_one_server") one-server
                  (format "languageId %S for every buffer" (eglot--language-id server))))
    (dolist (entry buffers)
      (let* ((file (assq (car entry) files))
             (code (nth 3 file))
             (diagnostic (two-wait (lambda () (two-diagnostic (cdr entry) code)))))
        (two-record (format "%s_%s" prefix (car entry))
                    (and diagnostic (memq (flymake-diagnostic-type diagnostic) '(eglot-warning eglot-error)))
                    (if diagnostic
                        (format "%s %s" (flymake-diagnostic-type diagnostic) (flymake-diagnostic-text diagnostic))
                      (format "no diagnostic on %s in %s" code (nth 1 file))))))
    (eglot-shutdown server)
    (dolist (entry buffers) (with-current-buffer (cdr entry) (set-buffer-modified-p nil)) (kill-buffer (cdr entry)))))

(let* ((program (or (getenv "HTTP_STATUS_LS_COMMAND") "http-status-ls"))
       (command (if (string-prefix-p "[" (string-trim program))
                    (append (json-read-from-string program) nil)
                  (list program))))
  ;; The README's setup: one server for both modes.
  (add-to-list 'eglot-server-programs `((python-mode yaml-mode) . ,command))
  (setq eglot-sync-connect two-wait-seconds
        eglot-connect-timeout two-wait-seconds)
  (condition-case error
      (progn
        (two-run '(python yaml) command)
        (two-run '(yaml python) command))
    (error (two-record "run" nil (format "%S" error))))
  (two-finish (if (cl-every (lambda (c) (eq (alist-get 'ok (cdr c)) t)) two-results) 0 1)))

;;; two_languages.el ends here
