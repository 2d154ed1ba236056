"""Certificates, diplomas and thank-you letters (грамоты, дипломы, благодарственные письма): a
district's emblem, signatory and signature (models, services), the pages as data and the one
writer that lays any list of them out in a frame (documents), and the settings page (views)."""
