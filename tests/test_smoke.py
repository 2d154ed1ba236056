def test_login_page_is_russian(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Вход" in response.get_data(as_text=True)
